using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContactCenter.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Assist : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Emotion",
                table: "Messages",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "EmotionScore",
                table: "Messages",
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AssistantHandedOverAt",
                table: "Conversations",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "CustomerEmotion",
                table: "Conversations",
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CustomerEmotionScore",
                table: "Conversations",
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "EscalationLevel",
                table: "Conversations",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_CustomerEmotion_Status",
                table: "Conversations",
                columns: new[] { "CustomerEmotion", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Conversations_CustomerEmotion_Status",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "Emotion",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "EmotionScore",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "AssistantHandedOverAt",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "CustomerEmotion",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "CustomerEmotionScore",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "EscalationLevel",
                table: "Conversations");
        }
    }
}
